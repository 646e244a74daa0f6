import { shortcutsMarkdown } from './renderer/lib/shortcuts';
console.log(shortcutsMarkdown());
