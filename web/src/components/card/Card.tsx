import type { ReactNode } from 'react';
import { AppLink } from '../app-link';
import { classNames } from '../class-names';

export interface CardProps {
  heading?: string;
  headingLevel?: 2 | 3;
  /** The whole card is a link to here. */
  href?: string;
  description?: string;
  /** nhsuk card variants: a feature card for a section, care cards for how urgent the content is. */
  variant?: 'feature' | 'secondary' | 'non-urgent' | 'urgent' | 'emergency';
  id?: string;
  classes?: string;
  children?: ReactNode;
}

const CARE_LABEL = { 'non-urgent': 'Non-urgent advice', urgent: 'Urgent advice', emergency: 'Immediate action required' } as const;

/** nhsuk card: a block of related content; care cards carry clinical weight (emergency: act now). */
export function Card({ heading, headingLevel = 2, href, description, variant, id, classes, children }: CardProps) {
  const Heading = headingLevel === 3 ? 'h3' : 'h2';
  const care = variant === 'non-urgent' || variant === 'urgent' || variant === 'emergency' ? variant : undefined;
  const className = classNames(
    'nhsuk-card',
    href && 'nhsuk-card--clickable',
    variant === 'feature' && 'nhsuk-card--feature',
    variant === 'secondary' && 'nhsuk-card--secondary',
    care && `nhsuk-card--care nhsuk-card--care--${care}`,
    classes,
  );
  const headingContent =
    heading === undefined ? null : href ? (
      <AppLink className="nhsuk-card__link" href={href}>
        {heading}
      </AppLink>
    ) : care ? (
      <span role="text">
        <span className="nhsuk-u-visually-hidden">{CARE_LABEL[care]}: </span>
        {heading}
      </span>
    ) : (
      heading
    );
  const headingClass = classNames(
    'nhsuk-card__heading',
    variant === 'feature' && 'nhsuk-card__heading--feature',
    `nhsuk-heading-${care ? 'm' : 's'}`,
  );
  return (
    <div className={className} id={id}>
      {care && heading !== undefined && (
        <div className="nhsuk-card__heading-container">
          <Heading className={headingClass}>{headingContent}</Heading>
          <span className="nhsuk-card--care__arrow" aria-hidden="true" />
        </div>
      )}
      <div className={classNames('nhsuk-card__content', variant === 'feature' && 'nhsuk-card__content--feature')}>
        {!care && heading !== undefined && <Heading className={headingClass}>{headingContent}</Heading>}
        {description && <p className="nhsuk-card__description">{description}</p>}
        {children}
      </div>
    </div>
  );
}
