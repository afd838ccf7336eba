import { classNames } from '../class-names';

export type TagColour = 'white' | 'grey' | 'green' | 'aqua-green' | 'blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';

export interface TagProps {
  text: string;
  colour?: TagColour;
}

/** nhsuk tag: a short status (Published, Draft, Overdue). */
export function Tag({ text, colour }: TagProps) {
  return <strong className={classNames('nhsuk-tag', colour && `nhsuk-tag--${colour}`)}>{text}</strong>;
}
