export * from './depth-encoding';
export * from './enums';
export * from './health';
export * from './media';
export * from './problem';
