/**
 * Fixture cases this repository deliberately does not pass, each with the reason. Keys are
 * `<group>:<fixture path>`. Every entry must say why; the conformance table prints it.
 */
export const EXCLUSIONS: Readonly<Record<string, string>> = {};
