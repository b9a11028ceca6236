import { repoPath } from '../paths.js';

/** The dashboard page's folder (HTML, CSS, scripts), from the sources or the bundle alike. */
export function defaultDashboardPageDir(): string {
  return repoPath('src', 'dashboard', 'page');
}

/** chart.js's browser build, served from the bot itself (nothing is fetched from the internet). */
export function chartLibraryPath(): string {
  return repoPath('node_modules', 'chart.js', 'dist', 'chart.umd.min.js');
}
