// The shared styles first, so a component's own rules come after them and win a tie.
import './styles/base.css';
import { bootAnswered, startBoot } from './lib/boot';

// The first screen's data is asked for before the app's code is evaluated: main reads it while
// this page parses the app's chunk (see [Note: Boot in one call]).
startBoot();

// The app's chunk is evaluated while the boot call is under way (its top level only defines
// things), and mounted once the answer is in and the first screen's thumbnails are on their way
// (see [Note: The app's code waits for the boot answer]). No top-level await: the build's
// security scan (test/build/electronegativity-gate.test.ts) transforms the entry for an older target.
const app = import('./mount-app');
void bootAnswered()
  .then(() => app)
  .then(({ mountApp }) => mountApp());
