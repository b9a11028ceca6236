import { runAdapterContract } from '../helpers/adapter-contract.js';
import { createZaloPersonalHarness } from '../fakes/zalo-personal/harness.js';

runAdapterContract('zalo personal (fake zca-js seam)', () => createZaloPersonalHarness());
