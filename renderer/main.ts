// The shared styles first, so a component's own rules come after them and win a tie.
import './styles/base.css';
import { startBoot } from './lib/boot';

// The first screen's data is asked for before the app's code is evaluated: main reads it while
// this page parses the app's chunk (see [Note: Boot in one call]).
startBoot();

// No top-level await: the build's security scan (test/build/electronegativity-gate.test.ts)
// transforms the entry for an older target.
void import('./mount-app').then(({ mountApp }) => mountApp());
