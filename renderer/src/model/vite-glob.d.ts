// The slice of Vite's import.meta.glob the editor uses (tsconfig.renderer.json loads no
// vite/client types, so declare just this).
interface ImportMeta {
  glob<T = unknown>(pattern: string, options: { eager: true; import?: string }): Record<string, T>;
}
