import type { ESLint } from 'eslint';

/** Types of eslint-layers.js (plain JavaScript, as eslint.config.js loads it). */
export declare const LAYERS: Readonly<Record<string, readonly string[]>>;
export declare function partOf(file: string): string | undefined;
export declare const layersPlugin: ESLint.Plugin;
