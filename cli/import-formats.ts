/** What `import` can write, apart from cli/import.ts so that the command line can offer them without loading the controls. */
export const importFormats = ["document", "program"] as const;
export type ImportFormat = (typeof importFormats)[number];
