import { fixturesOf } from '../fixture';
import { Select } from './Select';

export default fixturesOf('select', Select, [
  {
    name: 'default',
    options: {
      id: 'organisation',
      label: { text: 'Organisation' },
      items: [
        { value: '', text: 'Choose an organisation' },
        { value: 'DEMOGP1', text: 'Demo Riverside Surgery' },
      ],
      value: '',
      onChange: () => undefined,
    },
  },
]);
