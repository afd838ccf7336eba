/** London's five integrated care systems: the demo's synthetic Londoners. The platform's own list is the organisation register's. */
export const INTEGRATED_CARE_SYSTEMS = [
  'North Central London',
  'North East London',
  'North West London',
  'South East London',
  'South West London',
] as const;

export type IntegratedCareSystem = (typeof INTEGRATED_CARE_SYSTEMS)[number];

/** The 32 London boroughs and the City, by the integrated care system that covers them. */
export const BOROUGHS: readonly { name: string; ics: IntegratedCareSystem; postcodeArea: string }[] = [
  { name: 'Barnet', ics: 'North Central London', postcodeArea: 'N' },
  { name: 'Camden', ics: 'North Central London', postcodeArea: 'NW' },
  { name: 'Enfield', ics: 'North Central London', postcodeArea: 'EN' },
  { name: 'Haringey', ics: 'North Central London', postcodeArea: 'N' },
  { name: 'Islington', ics: 'North Central London', postcodeArea: 'N' },
  { name: 'Barking and Dagenham', ics: 'North East London', postcodeArea: 'RM' },
  { name: 'City of London', ics: 'North East London', postcodeArea: 'EC' },
  { name: 'Hackney', ics: 'North East London', postcodeArea: 'E' },
  { name: 'Havering', ics: 'North East London', postcodeArea: 'RM' },
  { name: 'Newham', ics: 'North East London', postcodeArea: 'E' },
  { name: 'Redbridge', ics: 'North East London', postcodeArea: 'IG' },
  { name: 'Tower Hamlets', ics: 'North East London', postcodeArea: 'E' },
  { name: 'Waltham Forest', ics: 'North East London', postcodeArea: 'E' },
  { name: 'Brent', ics: 'North West London', postcodeArea: 'NW' },
  { name: 'Ealing', ics: 'North West London', postcodeArea: 'W' },
  { name: 'Hammersmith and Fulham', ics: 'North West London', postcodeArea: 'W' },
  { name: 'Harrow', ics: 'North West London', postcodeArea: 'HA' },
  { name: 'Hillingdon', ics: 'North West London', postcodeArea: 'UB' },
  { name: 'Hounslow', ics: 'North West London', postcodeArea: 'TW' },
  { name: 'Kensington and Chelsea', ics: 'North West London', postcodeArea: 'SW' },
  { name: 'Westminster', ics: 'North West London', postcodeArea: 'W' },
  { name: 'Bexley', ics: 'South East London', postcodeArea: 'DA' },
  { name: 'Bromley', ics: 'South East London', postcodeArea: 'BR' },
  { name: 'Greenwich', ics: 'South East London', postcodeArea: 'SE' },
  { name: 'Lambeth', ics: 'South East London', postcodeArea: 'SE' },
  { name: 'Lewisham', ics: 'South East London', postcodeArea: 'SE' },
  { name: 'Southwark', ics: 'South East London', postcodeArea: 'SE' },
  { name: 'Croydon', ics: 'South West London', postcodeArea: 'CR' },
  { name: 'Kingston upon Thames', ics: 'South West London', postcodeArea: 'KT' },
  { name: 'Merton', ics: 'South West London', postcodeArea: 'SW' },
  { name: 'Richmond upon Thames', ics: 'South West London', postcodeArea: 'TW' },
  { name: 'Sutton', ics: 'South West London', postcodeArea: 'SM' },
  { name: 'Wandsworth', ics: 'South West London', postcodeArea: 'SW' },
];
