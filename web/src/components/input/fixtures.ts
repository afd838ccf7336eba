import { fixturesOf } from '../fixture';
import { Input } from './Input';

const noop = () => undefined;

export default fixturesOf('input', Input, [
  { name: 'default', options: { id: 'input-default', label: { text: 'Full name' }, value: '', onChange: noop } },
  {
    name: 'with hint and width',
    options: {
      id: 'input-nhs-number',
      label: { text: 'NHS number' },
      hint: { text: 'This is a 10 digit number, like 485 777 3456' },
      inputmode: 'numeric',
      classes: 'nhsuk-input--width-10',
      value: '999 000 0018',
      onChange: noop,
    },
  },
  {
    name: 'with error message',
    options: {
      id: 'input-error',
      label: { text: 'NHS number' },
      errorMessage: { text: 'NHS number must be 10 digits' },
      classes: 'nhsuk-input--width-10',
      value: '99900',
      onChange: noop,
    },
  },
  {
    name: 'as page heading',
    options: { id: 'input-heading', label: { text: 'What is your username?', size: 'l', isPageHeading: true }, value: '', onChange: noop },
  },
  {
    name: 'with suffix',
    options: { id: 'input-suffix', label: { text: 'Weight' }, suffix: 'kg', classes: 'nhsuk-input--width-5', value: '', onChange: noop },
  },
]);
