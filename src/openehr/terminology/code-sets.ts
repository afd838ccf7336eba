/**
 * The code sets of the openEHR Support Terminology that the RM's invariants name: languages
 * (ISO_639-1), territories (ISO_3166-1 alpha-2) and character sets (IANA_character-sets). Public
 * standards' code lists, written out so that validation does not depend on the runtime's ICU data.
 */

/** Code_set_id_languages: ISO 639-1 two-letter codes (the withdrawn in, iw, ji, jw, mo left out). */
const LANGUAGES =
  'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da ' +
  'de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ' +
  'ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln ' +
  'lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi ' +
  'pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg th ' +
  'ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu';

/** Code_set_id_countries: ISO 3166-1 alpha-2, the 249 officially assigned codes. */
const COUNTRIES =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
  'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
  'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
  'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
  'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
  'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
  'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW';

/** Code_set_id_character_sets: IANA character set names in use for clinical text (compared case-insensitively). */
const CHARACTER_SETS =
  'UTF-8 UTF-16 UTF-16BE UTF-16LE UTF-32 UTF-32BE UTF-32LE UTF-7 US-ASCII ISO-8859-1 ISO-8859-2 ' +
  'ISO-8859-3 ISO-8859-4 ISO-8859-5 ISO-8859-6 ISO-8859-7 ISO-8859-8 ISO-8859-9 ISO-8859-10 ' +
  'ISO-8859-13 ISO-8859-14 ISO-8859-15 ISO-8859-16 ISO-10646-UCS-2 ISO-10646-UCS-4 ISO-10646-UTF-1 ' +
  'windows-1250 windows-1251 windows-1252 windows-1253 windows-1254 windows-1255 windows-1256 ' +
  'windows-1257 windows-1258 Shift_JIS EUC-JP EUC-KR ISO-2022-JP ISO-2022-KR GB2312 GBK GB18030 ' +
  'Big5 Big5-HKSCS KOI8-R KOI8-U TIS-620 IBM437 IBM850 macintosh';

export const ISO_639_1: ReadonlySet<string> = new Set(LANGUAGES.split(' '));
export const ISO_3166_1: ReadonlySet<string> = new Set(COUNTRIES.split(' '));
export const IANA_CHARACTER_SETS: ReadonlySet<string> = new Set(CHARACTER_SETS.toLowerCase().split(' '));

export const CODE_SET_IDS = {
  languages: 'ISO_639-1',
  countries: 'ISO_3166-1',
  characterSets: 'IANA_character-sets',
} as const;

/** A language code of ISO 639-1, optionally with a territory (`en`, `en-GB`), as RM data writes it. */
export function isLanguageCode(code: string): boolean {
  const [language = '', territory, ...rest] = code.split('-');
  return rest.length === 0 && ISO_639_1.has(language) && (territory === undefined || ISO_3166_1.has(territory.toUpperCase()));
}

export function isTerritoryCode(code: string): boolean {
  return ISO_3166_1.has(code);
}

export function isCharacterSet(code: string): boolean {
  return IANA_CHARACTER_SETS.has(code.toLowerCase());
}
