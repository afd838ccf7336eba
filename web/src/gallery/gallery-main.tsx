import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import type { ComponentFixtures } from '../components/fixture';
import '../styles/app.scss';

/**
 * The component gallery (components.html), nhsuk-frontend's model: every fixture of every
 * component, or one (`?component=tag&fixture=2`) for the browser tests' axe check and screenshot.
 */
const modules = import.meta.glob<{ default: ComponentFixtures }>('../components/*/fixtures.{ts,tsx}', { eager: true });
const components = Object.values(modules)
  .map((module) => module.default)
  .sort((a, b) => a.component.localeCompare(b.component));

function Gallery() {
  const params = new URLSearchParams(window.location.search);
  const only = params.get('component');
  const fixture = params.get('fixture');
  const shown = only ? components.filter((component) => component.component === only) : components;
  return (
    <div className="nhsuk-width-container">
      <main className="nhsuk-main-wrapper" id="maincontent">
        <h1>Components</h1>
        {shown.map((component) => (
          <section key={component.component} aria-labelledby={`component-${component.component}`}>
            <h2 id={`component-${component.component}`}>{component.component}</h2>
            {component.names.map((name, index) =>
              fixture !== null && Number(fixture) !== index ? null : (
                <div className="app-gallery__example" key={name} data-fixture={`${component.component}/${index}`}>
                  <h3 className="nhsuk-heading-xs">{name}</h3>
                  {component.render(index)}
                </div>
              ),
            )}
          </section>
        ))}
      </main>
    </div>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter>
        <Gallery />
      </BrowserRouter>
    </StrictMode>,
  );
}

/** The component names and their fixture names, for the browser tests (window.ucpFixtures). */
Object.assign(window, { ucpFixtures: components.map((component) => ({ component: component.component, names: component.names })) });
