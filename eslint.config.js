// Layering (DESIGN.md): lib <- cni <- agent; lib <- controller; cli wires them.
// agent and controller never import each other; lib imports none of the others.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

const forbid = (...layers) => ({
  "no-restricted-imports": [
    "error",
    {
      patterns: layers.map((layer) => ({
        group: [`**/${layer}/**`, `**/${layer}`],
        message: `this layer must not import ${layer}/ (see DESIGN.md, Layering)`,
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ["dist/", "proto/gen/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  { files: ["lib/**"], rules: forbid("agent", "controller", "cni", "cli") },
  { files: ["cni/**"], rules: forbid("agent", "controller", "cli") },
  { files: ["agent/**"], rules: forbid("controller", "cli") },
  { files: ["controller/**"], rules: forbid("agent", "cni", "cli") },
);
