import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "data/",
      "engine/",
      "node_modules/",
      "coverage/",
      ".tmp/",
      "**/.venv/",
      "src/engine/protocol.gen.ts",
      "src/client/openapi.gen.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
    },
  },
  {
    // The web UI runs in the browser (web/tsconfig.json has the DOM types).
    files: ["web/src/**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
  },
  {
    // Preact's hooks (preact/hooks) follow React's rules, and the plugin knows hooks by
    // their names (use*), wherever they are imported from. Only the two classic rules: the
    // plugin's React Compiler rules (in its "recommended") take a ref from preact/hooks'
    // useRef for a plain value and refuse every `ref.current = ...`.
    files: ["web/src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
