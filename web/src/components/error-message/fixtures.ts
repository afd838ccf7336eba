import { fixturesOf } from '../fixture';
import { ErrorMessage } from './ErrorMessage';

export default fixturesOf('error-message', ErrorMessage, [{ name: 'default', options: { text: 'Enter a date of birth' } }]);
