export interface ErrorMessageProps {
  id?: string;
  text: string;
  visuallyHiddenText?: string;
}

/** nhsuk error message: under a field's label and hint, saying how to fix it. */
export function ErrorMessage({ id, text, visuallyHiddenText = 'Error' }: ErrorMessageProps) {
  return (
    <span className="nhsuk-error-message" id={id}>
      <span className="nhsuk-u-visually-hidden">{visuallyHiddenText}:</span> {text}
    </span>
  );
}
