import type { ComponentType, ReactNode } from 'react';

/**
 * One example of a component, as nhsuk-frontend keeps them: a name and the options it is shown
 * with. The component gallery (components.html) renders every fixture; the browser tests check
 * each one with axe and take a screenshot of it.
 */
export interface Fixture<Props> {
  name: string;
  options: Props;
}

export interface ComponentFixtures {
  /** The component's folder name, as nhsuk-frontend names it (`error-summary`) or ours (`patient-banner`). */
  component: string;
  render(index: number): ReactNode;
  names: readonly string[];
}

/** The fixtures of one component, typed against its props. */
export function fixturesOf<Props extends object>(
  component: string,
  Component: ComponentType<Props>,
  fixtures: readonly Fixture<Props>[],
): ComponentFixtures {
  return {
    component,
    names: fixtures.map((fixture) => fixture.name),
    render(index) {
      const fixture = fixtures[index];
      return fixture === undefined ? null : <Component {...fixture.options} />;
    },
  };
}
