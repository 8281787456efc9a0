import { codecDataConverter, parseCodecKeys } from '../../temporal/codec';

/**
 * The payload key of every test client and worker, and of the recorded histories (test/workflows/histories), which
 * the replay test decrypts with it. Committed on purpose: it protects nothing but test data.
 */
export const TEST_CODEC_KEYS = 'test-1:Ul6rxmHGFZQd4I6UsdhUQwV6cqHxFU52bDG0l1oJ6Y8=';

export const testCodecKeys = parseCodecKeys(TEST_CODEC_KEYS);

/** The data converter of the test clients and workers, as the app's own. */
export const testDataConverter = () => codecDataConverter(testCodecKeys);
