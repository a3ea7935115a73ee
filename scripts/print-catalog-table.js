#!/usr/bin/env node
// Prints the README's event table from the catalog: node scripts/print-catalog-table.js
// Runs the TypeScript sources directly (transpiled in memory by the project's typescript), so no build is needed.
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
		fileName: filename,
	});
	module._compile(outputText, filename);
};

const { catalogTable } = require('./catalog-table.ts');
process.stdout.write(`${catalogTable()}\n`);
