import { Main } from '../../app/Layout';
import { AppLink } from '../../components/app-link';

export function NotFoundPage() {
  return (
    <Main>
      <h1>Page not found</h1>
      <p>If you typed the web address, check it is correct.</p>
      <p>
        You can <AppLink href="/people">find a person</AppLink> by their NHS number.
      </p>
    </Main>
  );
}
