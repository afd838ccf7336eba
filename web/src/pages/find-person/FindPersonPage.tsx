import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiProblem } from '../../api/http';
import { searchPeople, type Person } from '../../api/people-api';
import { Main } from '../../app/Layout';
import { AppLink } from '../../components/app-link';
import { Button } from '../../components/button/Button';
import { DateInput, isoDateOf, type DateParts } from '../../components/date-input/DateInput';
import { ErrorSummary, type ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { Input } from '../../components/input/Input';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { formatDate } from '../../format/dates';
import { formatNhsNumber, nhsDigits, nhsNumberProblem } from '../../format/nhs-number';

const PLAN_STATUS: Record<string, string> = {
  published: 'Published',
  draft: 'Draft',
  'awaiting-approval': 'Awaiting approval',
  closed: 'Closed',
  deleted: 'Deleted',
};

/** Find a person by NHS number (checked as it is typed), or by name and date of birth. */
export function FindPersonPage() {
  const navigate = useNavigate();
  const [nhsNumber, setNhsNumber] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [search, setSearch] = useState({ family: '', given: '', birthDate: { day: '', month: '', year: '' } as DateParts });
  const [searchErrors, setSearchErrors] = useState<ErrorSummaryItem[]>([]);
  const [results, setResults] = useState<Person[] | undefined>();
  const [searchProblem, setSearchProblem] = useState<string | undefined>();

  const nhsProblem = nhsNumberProblem(nhsNumber, submitted);

  function findByNumber(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (nhsNumberProblem(nhsNumber, true) === undefined) navigate(`/people/${nhsDigits(nhsNumber)}`);
  }

  async function findByName(event: FormEvent) {
    event.preventDefault();
    const birthdate = isoDateOf(search.birthDate);
    const problems: ErrorSummaryItem[] = [];
    if (!search.family.trim()) problems.push({ text: 'Enter the person’s last name', href: '#family' });
    // The people API searches by last name, first name and date of birth: all three are needed.
    if (!search.given.trim()) problems.push({ text: 'Enter the person’s first name', href: '#given' });
    if (!birthdate) problems.push({ text: 'Enter the person’s date of birth, for example 2 3 1941', href: '#birth-date' });
    setSearchErrors(problems);
    if (problems.length > 0 || !birthdate) return;
    setSearchProblem(undefined);
    try {
      setResults(await searchPeople({ family: search.family.trim(), given: search.given.trim(), birthdate }));
    } catch (error) {
      setResults(undefined);
      setSearchProblem(
        error instanceof ApiProblem && error.code === 'route-not-found'
          ? 'Finding a person by name is not available on this server yet. Use their NHS number.'
          : error instanceof ApiProblem
            ? error.detail
            : 'The search did not work. Try again.',
      );
    }
  }

  const errors = [...(submitted && nhsProblem ? [{ text: nhsProblem, href: '#nhs-number' }] : []), ...searchErrors];
  return (
    <Main>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {errors.length > 0 && <ErrorSummary errorList={errors} />}
          <h1>Find a person</h1>
          <form onSubmit={findByNumber} noValidate>
            <Input
              id="nhs-number"
              label={{ text: 'NHS number', size: 'm' }}
              hint={{ text: 'This is a 10 digit number, like 999 000 0018' }}
              inputmode="numeric"
              autocomplete="off"
              spellcheck={false}
              classes="nhsuk-input--width-10"
              value={nhsNumber}
              onChange={setNhsNumber}
              onBlur={() => setNhsNumber((typed) => formatNhsNumber(typed))}
              {...(nhsProblem ? { errorMessage: { text: nhsProblem } } : {})}
            />
            <Button text="Find" />
          </form>
          <h2>Or find by name and date of birth</h2>
          <form onSubmit={(event) => void findByName(event)} noValidate>
            <Input
              id="family"
              label={{ text: 'Last name' }}
              autocomplete="off"
              value={search.family}
              onChange={(family) => setSearch((current) => ({ ...current, family }))}
              {...(searchErrors.some((e) => e.href === '#family') ? { errorMessage: { text: 'Enter the person’s last name' } } : {})}
            />
            <Input
              id="given"
              label={{ text: 'First name' }}
              autocomplete="off"
              value={search.given}
              onChange={(given) => setSearch((current) => ({ ...current, given }))}
              {...(searchErrors.some((e) => e.href === '#given') ? { errorMessage: { text: 'Enter the person’s first name' } } : {})}
            />
            <DateInput
              id="birth-date"
              fieldset={{ legend: { text: 'Date of birth', size: 's' } }}
              hint={{ text: 'For example, 2 3 1941' }}
              value={search.birthDate}
              onChange={(birthDate) => setSearch((current) => ({ ...current, birthDate }))}
              {...(searchErrors.some((e) => e.href === '#birth-date') ? { errorMessage: { text: 'Enter a real date of birth' } } : {})}
            />
            <Button text="Search" variant="secondary" />
          </form>
          {searchProblem && (
            <p className="nhsuk-body" role="status">
              {searchProblem}
            </p>
          )}
          {results && (
            <div role="status">
              <h2>{results.length === 0 ? 'No one found' : `${results.length} ${results.length === 1 ? 'person' : 'people'} found`}</h2>
              {results.length === 0 ? (
                <p>Check the spelling and the date of birth, or search by NHS number.</p>
              ) : (
                <Table
                  caption="People found"
                  head={['Name', 'Date of birth', 'NHS number', 'Plan']}
                  rows={results.map((person) => [
                    <AppLink href={`/people/${person.nhsNumber}`} key="name">
                      {person.name?.text || 'No name recorded'}
                    </AppLink>,
                    formatDate(person.birthDate),
                    formatNhsNumber(person.nhsNumber),
                    person.plan ? <Tag text={PLAN_STATUS[person.plan.status] ?? person.plan.status} key="plan" /> : 'No plan',
                  ])}
                />
              )}
            </div>
          )}
        </div>
      </div>
    </Main>
  );
}
