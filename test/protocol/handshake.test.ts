import test from 'ava';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { computeMac, createNonce, nonceBytes, verifyMac } from '../../src/protocol/handshake.js';

const secret = 'cluster-secret-1';
const nonces = {
  server: Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'),
  client: Buffer.from('f0e0d0c0b0a090807060504030201000', 'hex'),
};
const from = 2;
const to = 3;
const mac = computeMac(secret, 'client', nonces, from, to);

test('a peer that knows the cluster secret passes the handshake', (t) => {
  t.true(verifyMac(secret, 'client', nonces, from, to, mac));
});

test('the proof is an HMAC-SHA256 of 32 bytes', (t) => {
  t.is(mac.length, 32);
});

test('a MAC that went through a frame still passes the handshake', (t) => {
  const [message] = new FrameDecoder(1_024).push(encodeFrame({ type: 'auth', from, mac }));
  t.true(verifyMac(secret, 'client', nonces, from, to, (message as { mac: Uint8Array }).mac));
});

test('a peer with the wrong secret is rejected', (t) => {
  const wrong = computeMac('other-secret', 'client', nonces, from, to);
  t.false(verifyMac(secret, 'client', nonces, from, to, wrong));
});

test('a MAC made for another nonce of either side is rejected (no replay of an old handshake)', (t) => {
  for (const side of ['server', 'client'] as const) {
    const other = { ...nonces, [side]: Buffer.from(nonces[side]) };
    other[side][15] = other[side][15]! ^ 1;
    t.false(verifyMac(secret, 'client', other, from, to, mac), side);
  }
});

test('the nonces cannot trade places', (t) => {
  const swapped = { server: nonces.client, client: nonces.server };
  t.false(verifyMac(secret, 'client', swapped, from, to, mac));
});

test("a dialer's proof cannot be reflected back as the listener's (distinct labels)", (t) => {
  t.false(verifyMac(secret, 'server', nonces, from, to, mac));
  t.false(verifyMac(secret, 'server', nonces, to, from, mac));
  const listener = computeMac(secret, 'server', nonces, to, from);
  t.true(verifyMac(secret, 'server', nonces, to, from, listener));
  t.false(verifyMac(secret, 'client', nonces, to, from, listener));
});

test('a MAC made with the node ids swapped is rejected', (t) => {
  t.false(verifyMac(secret, 'client', nonces, to, from, mac));
  const swapped = computeMac(secret, 'client', nonces, to, from);
  t.false(verifyMac(secret, 'client', nonces, from, to, swapped));
});

test('a MAC made for another target node is rejected', (t) => {
  t.false(verifyMac(secret, 'client', nonces, from, 4, mac));
});

test('a MAC with one bit flipped is rejected', (t) => {
  for (let i = 0; i < mac.length; i++) {
    const flipped = Buffer.from(mac);
    flipped[i] = flipped[i]! ^ 0x80;
    t.false(verifyMac(secret, 'client', nonces, from, to, flipped), `bit flipped in byte ${i}`);
  }
});

test('a truncated, extended or empty MAC is rejected without throwing', (t) => {
  for (const bad of [
    mac.subarray(0, 31),
    mac.subarray(0, 16),
    Buffer.concat([mac, Buffer.from([0])]),
    new Uint8Array(0),
  ])
    t.false(verifyMac(secret, 'client', nonces, from, to, bad));
});

test('each connection gets a fresh 16-byte nonce', (t) => {
  const fresh = Array.from({ length: 20 }, () => createNonce());
  t.is(nonceBytes, 16);
  t.true(fresh.every((n) => n.length === nonceBytes));
  t.is(new Set(fresh.map((n) => n.toString('hex'))).size, fresh.length);
});
