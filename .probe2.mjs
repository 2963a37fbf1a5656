import { validateScript } from './dist/validate/index.js';
const cases = process.argv.slice(2);
for (const c of cases) { try { const r = validateScript(c); console.log(JSON.stringify(r)); } catch (e) { console.log(e.code, e.message, e.line, e.column, JSON.stringify(e.violations)); } }
