import { describe, expect, it } from 'vitest';
import { keywords, words } from '../../../shared/library/search-query';
import { SeededRandom } from '../../emulators/photoprism/util';

// What PhotoPrism's own tests expect of its word rules (pkg/txt/words_test.go: TestWords,
// TestKeywords), which the cache's keywords and the emulator's search follow.
describe('words, as PhotoPrism splits them', () => {
  it.each([
    ["I'm a lazy-BRoWN fox!", ["I'm", 'lazy-BRoWN', 'fox']],
    ['x', []],
    ['', []],
    [' -foo- -', ['foo']],
    [" McDonald's FOO'bar-'", ["McDonald's", "FOO'bar"]],
    ['Österreich Urlaub', ['Österreich', 'Urlaub']],
    ['Île de la Réunion', ['Île', 'de', 'la', 'Réunion']],
    ['桥船猫', ['桥船猫']],
    ['谢谢！', ['谢谢']],
    // Numbers are no words; a word with a digit and a letter is.
    ['Beach 2023 12-31 80s IMG_0042', ['Beach', '80s', 'IMG']],
    ['tabs\tand\nnew lines', ['tabs', 'and', 'new', 'lines']],
  ])('%j → %j', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it('splits ASCII text as the Unicode rules do', () => {
    // ASCII text takes a scan of its own ([Note: ASCII words without the Unicode pattern]); an
    // ellipsis (U+2026, no letter) sends the same text through the Unicode pattern and is itself
    // no word, so both answers must be equal. Random texts over the characters that decide
    // a split: word characters, the trimmed ones, separators.
    const alphabet = ['a', 'Z', '0', '9', '-', "'", ' ', '.', '_', ',', '!', '\t', "'", '-', 'x', 'Y', 'q'];
    const random = new SeededRandom(7);
    for (let i = 0; i < 2_000; i++) {
      let text = '';
      for (let n = random.int(0, 23); n > 0; n--) text += random.pick(alphabet);
      expect(words(text), JSON.stringify(text)).toEqual(words(`${text}\u2026`));
    }
  });
});

describe('keywords, as PhotoPrism keeps them', () => {
  it.each([
    ["I'm a lazy BRoWN img!", ['lazy', 'brown']],
    ['was', []],
    ['Österreich Urlaub', ['österreich', 'urlaub']],
    ['桥船', ['桥船']],
  ])('%j → %j', (text, expected) => {
    expect(keywords(text)).toEqual(expected);
  });
});
