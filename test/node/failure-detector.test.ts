import test from 'ava';
import { FailureDetector, type PeerState } from '../../src/node/failure-detector.js';

const suspectAfterMs = 1_000;
const downAfterMs = 3_000;

/** Peers 2 and 3; peer 2 connected at 10 000 ms and last heard from then. */
function makeDetector(): FailureDetector {
  const detector = new FailureDetector([2, 3], { suspectAfterMs, downAfterMs });
  detector.setConnected(2, true, 10_000);
  return detector;
}

const stateAfterSilence = test.macro({
  exec(t, silentMs: number, expected: PeerState) {
    const detector = makeDetector();
    t.is(detector.state(2, 10_000 + silentMs), expected);
    t.is(detector.isAvailable(2, 10_000 + silentMs), expected !== 'down');
  },
  title: (provided = '') => `a connected peer is ${provided}`,
});

test('up right after it connects', stateAfterSilence, 0, 'up');
test('still up just before the suspect threshold', stateAfterSilence, suspectAfterMs - 1, 'up');
test('suspect once silent for the suspect threshold', stateAfterSilence, suspectAfterMs, 'suspect');
test(
  'suspect (and still available) just before the down threshold',
  stateAfterSilence,
  downAfterMs - 1,
  'suspect',
);
test('down once silent for the down threshold', stateAfterSilence, downAfterMs, 'down');
test('down after a long silence', stateAfterSilence, 60 * downAfterMs, 'down');

test('a peer that never connected is down', (t) => {
  const detector = makeDetector();
  t.is(detector.state(3, 10_000), 'down');
  t.false(detector.isAvailable(3, 10_000));
});

test('a heartbeat from a peer without a connection does not make it up', (t) => {
  const detector = makeDetector();
  detector.heard(3, 10_000);
  t.is(detector.state(3, 10_000), 'down');
});

test('a heartbeat brings a suspect peer back up', (t) => {
  const detector = makeDetector();
  t.is(detector.state(2, 12_000), 'suspect');
  detector.heard(2, 12_000);
  t.is(detector.state(2, 12_000), 'up');
  t.is(detector.state(2, 12_000 + suspectAfterMs), 'suspect');
});

test('a heartbeat brings back a connected peer that was down from silence', (t) => {
  const detector = makeDetector();
  t.is(detector.state(2, 20_000), 'down');
  detector.heard(2, 20_000);
  t.is(detector.state(2, 20_000), 'up');
});

test('a peer whose connection closed is down even if heard from just now', (t) => {
  const detector = makeDetector();
  detector.heard(2, 10_500);
  detector.setConnected(2, false, 10_500);
  t.is(detector.state(2, 10_500), 'down');
  t.false(detector.isAvailable(2, 10_500));
});

test('a reconnected peer counts its silence from the new connection', (t) => {
  const detector = makeDetector();
  detector.setConnected(2, false, 11_000);
  detector.setConnected(2, true, 50_000);
  t.is(detector.state(2, 50_000), 'up');
  t.is(detector.state(2, 50_000 + suspectAfterMs), 'suspect');
});

test('lists every peer with its state, connection and time since last heard', (t) => {
  const detector = makeDetector();
  detector.heard(2, 11_200);
  t.deepEqual(detector.views(12_500.4), [
    { node: 2, state: 'suspect', connected: true, lastHeardAgoMs: 1_300 },
    { node: 3, state: 'down', connected: false, lastHeardAgoMs: null },
  ]);
});

test('never shows a negative time since last heard', (t) => {
  const detector = makeDetector();
  t.is(detector.views(9_000)[0]?.lastHeardAgoMs, 0);
});
