import { mount } from 'svelte';
import App from './components/App.svelte';
import './components/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
export const app = mount(App, { target });
