import { mount } from 'svelte';
import App from './App.svelte';

/** Mount the app (its own chunk, loaded by renderer/main.ts once the boot call is on its way). */
export function mountApp(): void {
  const target = document.getElementById('app');
  if (!target) throw new Error('index.html has no #app element');
  mount(App, { target });
}
