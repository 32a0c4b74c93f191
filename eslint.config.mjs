// Lint rules: ESLint's and typescript-eslint's recommended sets over the program and its tests.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "bin/", "app/", ".ci/", ".venv/", ".tools/"] },
    eslint.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["tests/**/*.ts", "policy/**/*.ts"],
        rules: {
            // Tests and policies read resource properties, whose shapes are the providers' own.
            "@typescript-eslint/no-explicit-any": "off",
        },
    },
    {
        // A component reads no stack config: its defaults are in its Args and code, and the config
        // layer (program.ts with lib/config) maps the settings to its arguments.
        files: ["components/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            regex: "(^|/)(lib/(config|configSchema|settingDomains|moves)|program|index)$",
                            message: "A component reads no stack config and knows no program: take what you need as an argument.",
                        },
                        { regex: "^@pulumi/pulumi/runtime", message: "A component reads no stack config." },
                    ],
                },
            ],
            "no-restricted-syntax": [
                "error",
                { selector: "NewExpression[callee.property.name='Config'], NewExpression[callee.name='Config']", message: "A component reads no stack config: take it as an argument." },
            ],
        },
    },
);
