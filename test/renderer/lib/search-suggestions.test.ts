import { describe, expect, it } from 'vitest';
import { chipsOf, suggestionsFor } from '../../../renderer/lib/search-suggestions';

const DATA = { years: [2024, 2023, 2019], cameras: ['EOS 6D', 'iPhone 13 Pro'], cities: ['Lisbon', 'Berlin'], albums: ['Summer Holidays'] };

describe('search suggestions', () => {
  it('offers filters and known values for the word being typed, keeping what came before', () => {
    expect(suggestionsFor('beach ye', DATA).map((s) => s.query)).toEqual(['beach year:']);
    expect(suggestionsFor('beach year:20', DATA).map((s) => s.query)).toEqual(['beach year:2024 ', 'beach year:2023 ', 'beach year:2019 ']);
    // Values with spaces are quoted, as PhotoPrism's syntax needs.
    expect(suggestionsFor('camera:e', DATA).map((s) => s.query)).toEqual(['camera:"EOS 6D" ']);
    expect(suggestionsFor('lis', DATA).map((s) => s.label)).toEqual(['city:Lisbon']);
    expect(suggestionsFor('fav', DATA)[0]?.query).toBe('favorite:true ');
    expect(suggestionsFor('', DATA)).toEqual([]);
    expect(suggestionsFor('beach ', DATA)).toEqual([]);
  });

  it('makes one chip per filter and one for the words; removing a chip keeps the rest', () => {
    const chips = chipsOf('label:cat beach person:"Jane Doe" year:2023');
    expect(chips.map((c) => c.label)).toEqual(['label:cat', 'person:"Jane Doe"', 'year:2023', '“beach”']);
    expect(chips[1]?.without).toBe('label:cat year:2023 beach');
    expect(chips[3]?.without).toBe('label:cat person:"Jane Doe" year:2023');
  });
});
