const path = require('path');
const { task, src, dest } = require('gulp');

// tsc emits only JavaScript; n8n loads each node's icons and codex from beside the compiled file.
task('build:icons', copyAssets);

function copyAssets() {
	const nodeAssets = path.resolve('nodes', '**', '*.{png,svg,json}');
	// The activity page's HTML and script, which the starter workflow generator reads from beside its compiled code.
	const pages = path.resolve('starter', '*.{html,js}');
	const credAssets = path.resolve('credentials', '**', '*.{png,svg}');
	const icons = path.resolve('icons', '*.svg');
	return src([nodeAssets, credAssets, icons, pages], { base: '.', encoding: false }).pipe(dest('dist'));
}
