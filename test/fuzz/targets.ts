// Every fuzz target, in the order the fuzzer runs them; `--target` picks one by name.
import type { FuzzTarget } from './target.js';
import { batchTarget, grammarTarget } from './targets/commands.js';
import { jsonConfigTarget, pythonConfigTarget } from './targets/config.js';
import { frameDecoderTarget } from './targets/frames.js';
import { historyTarget } from './targets/history.js';
import {
  clientArrayTarget,
  peerReplyTarget,
  peerRequestTarget,
  requestTarget,
  resultTarget,
} from './targets/messages.js';

export const fuzzTargets: readonly FuzzTarget[] = [
  frameDecoderTarget,
  requestTarget,
  clientArrayTarget,
  peerRequestTarget,
  peerReplyTarget,
  resultTarget,
  grammarTarget,
  batchTarget,
  jsonConfigTarget,
  pythonConfigTarget,
  historyTarget,
];
