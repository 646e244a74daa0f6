/**
 * The country choices of the inspector: every two-letter region the runtime's ICU names, by its
 * English name, with `zz` "Unknown" first — the codes PhotoPrism stores in `photo_country`
 * (lower-case ISO 3166-1 alpha-2, `zz` for unknown; PhotoPrism internal/entity/country.go). Built
 * from Intl rather than a copied list: Chromium ships the full ICU, and a code the list lacks is
 * still shown when a photo has it (see `countryChoices`).
 */

export interface CountryChoice {
  readonly code: string;
  readonly name: string;
}

/** Region codes that are no country (the EU, the UN, pseudo-locales, Unknown Region). */
const NOT_COUNTRIES: ReadonlySet<string> = new Set(['EU', 'EZ', 'QO', 'UN', 'XA', 'XB', 'ZZ']);

let cached: readonly CountryChoice[] | undefined;

function allCountries(): readonly CountryChoice[] {
  if (cached) return cached;
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const out: CountryChoice[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = NOT_COUNTRIES.has(code) ? undefined : names.of(code);
      if (name !== undefined && name !== code) out.push({ code: code.toLowerCase(), name });
    }
  }
  out.sort((x, y) => x.name.localeCompare(y.name, 'en'));
  cached = [{ code: 'zz', name: 'Unknown' }, ...out];
  return cached;
}

/** The choices, plus `current` (by its code) when the list does not know it. */
export function countryChoices(current: string): readonly CountryChoice[] {
  const all = allCountries();
  if (current === '' || all.some((c) => c.code === current)) return all;
  return [...all, { code: current, name: current.toUpperCase() }];
}
