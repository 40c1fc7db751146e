const STORAGE_KEY = 'kw-theme';

type Theme = 'light' | 'dark';

/**
 * The theme toggle. BaseLayout's inline script has already applied the saved or system
 * theme before paint; this keeps following the system until the reader picks one.
 */
export function initTheme(): void {
  const root = document.documentElement;
  const buttons = document.querySelectorAll<HTMLButtonElement>('[data-kw-theme-toggle]');
  const system = matchMedia('(prefers-color-scheme: dark)');

  const apply = (theme: Theme) => {
    root.dataset.theme = theme;
    for (const button of buttons) {
      button.setAttribute('aria-label', theme === 'dark' ? 'Use light theme' : 'Use dark theme');
    }
  };

  apply(root.dataset.theme === 'dark' ? 'dark' : 'light');
  for (const button of buttons) {
    button.hidden = false;
    button.addEventListener('click', () => {
      const next: Theme = root.dataset.theme === 'dark' ? 'light' : 'dark';
      apply(next);
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // Storage may be disabled; the choice then lasts for this page only.
      }
    });
  }
  system.addEventListener('change', (event) => {
    if (!savedTheme()) apply(event.matches ? 'dark' : 'light');
  });
}

function savedTheme(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
