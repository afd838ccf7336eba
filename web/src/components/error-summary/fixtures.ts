import { fixturesOf } from '../fixture';
import { ErrorSummary } from './ErrorSummary';

export default fixturesOf('error-summary', ErrorSummary, [
  {
    name: 'default',
    options: { focusOnMount: false, errorList: [{ text: 'Enter an NHS number with 10 digits', href: '#nhs-number' }] },
  },
  {
    name: 'with description',
    options: {
      focusOnMount: false,
      descriptionText: 'Check the plan before you submit it.',
      errorList: [
        { text: 'Enter a review date', href: '#review-date' },
        { text: 'Choose a CPR recommendation', href: '#cpr' },
      ],
    },
  },
]);
