import test from 'ava';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { computeMac, createNonce, nonceBytes, verifyMac } from '../../src/protocol/handshake.js';

const secret = 'cluster-secret-1';
const nonce = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const from = 2;
const to = 3;
const mac = computeMac(secret, nonce, from, to);

test('a peer that knows the cluster secret passes the handshake', (t) => {
  t.true(verifyMac(secret, nonce, from, to, mac));
});

test('the proof is an HMAC-SHA256 of 32 bytes', (t) => {
  t.is(mac.length, 32);
});

test('a MAC that went through a frame still passes the handshake', (t) => {
  const [message] = new FrameDecoder(1_024).push(encodeFrame({ type: 'auth', from, mac }));
  t.true(verifyMac(secret, nonce, from, to, (message as { mac: Uint8Array }).mac));
});

test('a peer with the wrong secret is rejected', (t) => {
  t.false(verifyMac(secret, nonce, from, to, computeMac('other-secret', nonce, from, to)));
});

test('a MAC made for another nonce is rejected (no replay of an old handshake)', (t) => {
  const otherNonce = Buffer.from(nonce);
  otherNonce[15] = otherNonce[15]! ^ 1;
  t.false(verifyMac(secret, otherNonce, from, to, mac));
});

test('a MAC made with the node ids swapped is rejected', (t) => {
  t.false(verifyMac(secret, nonce, to, from, mac));
  t.false(verifyMac(secret, nonce, from, to, computeMac(secret, nonce, to, from)));
});

test('a MAC made for another target node is rejected', (t) => {
  t.false(verifyMac(secret, nonce, from, 4, mac));
});

test('a MAC with one bit flipped is rejected', (t) => {
  for (let i = 0; i < mac.length; i++) {
    const flipped = Buffer.from(mac);
    flipped[i] = flipped[i]! ^ 0x80;
    t.false(verifyMac(secret, nonce, from, to, flipped), `bit flipped in byte ${i}`);
  }
});

test('a truncated, extended or empty MAC is rejected without throwing', (t) => {
  t.false(verifyMac(secret, nonce, from, to, mac.subarray(0, 31)));
  t.false(verifyMac(secret, nonce, from, to, mac.subarray(0, 16)));
  t.false(verifyMac(secret, nonce, from, to, Buffer.concat([mac, Buffer.from([0])])));
  t.false(verifyMac(secret, nonce, from, to, new Uint8Array(0)));
});

test('each connection gets a fresh 16-byte nonce', (t) => {
  const nonces = Array.from({ length: 20 }, () => createNonce());
  t.is(nonceBytes, 16);
  t.true(nonces.every((n) => n.length === nonceBytes));
  t.is(new Set(nonces.map((n) => n.toString('hex'))).size, nonces.length);
});
