/**
 * @module client/main
 * Entry point of the web app: mounts the Preact tree into #app.
 * Owns: nothing but the mount (the stylesheet is linked from index.html).
 */
import { render } from 'preact';
import { App } from './app.tsx';

const root = document.getElementById('app');
if (root) render(<App />, root);
