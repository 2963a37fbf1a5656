// `--http [host:]port`: what it binds, and whether that is loopback (which decides the Host check).
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseHttpAddress } from '../../src/cli/mcp-http.js';

describe('parseHttpAddress', () => {
  it.each([
    ['3000', { host: '127.0.0.1', port: 3000, loopback: true }],
    ['0', { host: '127.0.0.1', port: 0, loopback: true }],
    ['localhost:8080', { host: 'localhost', port: 8080, loopback: true }],
    ['127.0.0.2:1', { host: '127.0.0.2', port: 1, loopback: true }],
    ['[::1]:3000', { host: '::1', port: 3000, loopback: true }],
    ['0.0.0.0:3000', { host: '0.0.0.0', port: 3000, loopback: false }],
    ['[::]:3000', { host: '::', port: 3000, loopback: false }],
    ['mcp.internal:443', { host: 'mcp.internal', port: 443, loopback: false }],
    ['127.evil.example:80', { host: '127.evil.example', port: 80, loopback: false }],
  ])('reads %s', (text, address) => {
    expect(parseHttpAddress(text)).toEqual(address);
  });

  it.each(['', 'http://localhost:3000', '65536', 'localhost', ':3000', '::1:3000', 'a:b:3000', '3000.5'])('refuses %j', (text) => {
    expect(() => parseHttpAddress(text)).toThrow(InvalidArgumentError);
  });
});
