import type { ReactNode } from 'react';
import { AppLink } from '../app-link';
import { classNames } from '../class-names';

export interface ButtonProps {
  text?: string;
  children?: ReactNode;
  /** nhsuk's button variants. */
  variant?: 'primary' | 'secondary' | 'reverse' | 'warning' | 'login';
  small?: boolean;
  type?: 'button' | 'submit';
  disabled?: boolean;
  /** A link styled as a button (for a navigation, not an action). */
  href?: string;
  onClick?: () => void;
  classes?: string;
  id?: string;
}

/** nhsuk button: one primary action per page; secondary and warning for the others. */
export function Button({ text, children, variant = 'primary', small, type = 'submit', disabled, href, onClick, classes, id }: ButtonProps) {
  const className = classNames(
    'nhsuk-button',
    variant !== 'primary' && `nhsuk-button--${variant}`,
    small && 'nhsuk-button--small',
    classes,
  );
  const content = children ?? text;
  if (href !== undefined)
    return (
      <AppLink href={href} className={className}>
        {content}
      </AppLink>
    );
  return (
    <button
      type={type}
      className={className}
      disabled={disabled}
      aria-disabled={disabled}
      onClick={onClick}
      id={id}
      data-module="nhsuk-button"
    >
      {content}
    </button>
  );
}
