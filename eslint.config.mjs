// Lint rules: ESLint's and typescript-eslint's recommended sets over the program and its tests.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "bin/", "app/", ".ci/", ".venv/"] },
    eslint.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["tests/**/*.ts", "policy/**/*.ts"],
        rules: {
            // Tests and policies read resource properties, whose shapes are the providers' own.
            "@typescript-eslint/no-explicit-any": "off",
        },
    },
);
