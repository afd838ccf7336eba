import { useEffect, useRef } from 'react';

export interface ErrorSummaryItem {
  text: string;
  /** The id of the field, as `#id`: following the link moves to the field. */
  href?: string;
}

export interface ErrorSummaryProps {
  titleText?: string;
  descriptionText?: string;
  errorList: readonly ErrorSummaryItem[];
  /** Move focus to the summary when it appears (the NHS pattern after a failed submit). */
  focusOnMount?: boolean;
}

/**
 * nhsuk error summary: at the top of the page after a failed submit, one link per problem that
 * moves to the field, each saying how to fix it.
 */
export function ErrorSummary({ titleText = 'There is a problem', descriptionText, errorList, focusOnMount = true }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount, errorList]);
  return (
    <div
      className="nhsuk-error-summary"
      aria-labelledby="error-summary-title"
      role="alert"
      tabIndex={-1}
      ref={ref}
      data-module="nhsuk-error-summary"
    >
      <h2 className="nhsuk-error-summary__title" id="error-summary-title">
        {titleText}
      </h2>
      <div className="nhsuk-error-summary__body">
        {descriptionText && <p>{descriptionText}</p>}
        <ul className="nhsuk-list nhsuk-error-summary__list">
          {errorList.map((item) => (
            <li key={`${item.href ?? ''}${item.text}`}>
              {item.href ? (
                <a
                  href={item.href}
                  onClick={(event) => {
                    const target = document.getElementById(item.href?.slice(1) ?? '');
                    if (!target) return;
                    event.preventDefault();
                    target.focus();
                    target.scrollIntoView({ block: 'center' });
                  }}
                >
                  {item.text}
                </a>
              ) : (
                item.text
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
