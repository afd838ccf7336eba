import { fixturesOf } from '../fixture';
import { ConfirmAction } from './ConfirmAction';

const nothing = () => undefined;

export default fixturesOf('confirm-action', ConfirmAction, [
  {
    name: 'disable a user',
    options: {
      heading: 'Disable Dr Ada Lovelace?',
      children: <p>They will be signed out everywhere at once and cannot sign in until someone re-enables them.</p>,
      confirmText: 'Yes, disable this user',
      onConfirm: nothing,
      onCancel: nothing,
    },
  },
]);
