import { fixturesOf } from '../fixture';
import { PatientBanner } from './PatientBanner';

const today = '2026-12-07';

export default fixturesOf('patient-banner', PatientBanner, [
  {
    name: 'verified with a published plan',
    options: {
      today,
      nhsNumber: '9990000018',
      name: { given: ['Jane', 'Ann'], family: 'Smith', prefix: ['Mrs'] },
      birthDate: '1941-03-02',
      gender: 'female',
      verification: 'verified',
      plan: { status: 'published', reviewDate: '2027-06-01' },
      consent: { toShare: true, route: 'explicit' },
    },
  },
  {
    name: 'restricted, unverified, review overdue',
    options: {
      today,
      nhsNumber: '9990000026',
      name: { given: ['Tom'], family: 'Okafor' },
      birthDate: '1958-11-20',
      gender: 'male',
      verification: 'unverified',
      restricted: true,
      plan: { status: 'published', reviewDate: '2026-10-01', reviewOverdue: true },
    },
  },
  {
    name: 'deceased, plan closed',
    options: {
      today,
      nhsNumber: '9990000034',
      name: { given: ['Edna'], family: 'Price' },
      birthDate: '1930-05-14',
      gender: 'female',
      verification: 'verified',
      deceased: { date: '2026-11-02' },
      plan: { status: 'closed', reviewDate: null },
    },
  },
  { name: 'identity not available, no plan', options: { today, nhsNumber: '9990000042', verification: 'unavailable', plan: null } },
]);
