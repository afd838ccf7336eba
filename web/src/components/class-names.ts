/** Joins the class names that are set: `classNames('nhsuk-button', small && 'nhsuk-button--small')`. */
export function classNames(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}
