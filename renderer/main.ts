import { mount } from 'svelte';
// The shared styles first, so a component's own rules come after them and win a tie.
import './styles/base.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
