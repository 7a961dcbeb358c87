export { escapeHtml } from '../html/escape.js';
