/**
 * Shown on an item whose requester said the person was under 18 when it was made: the imagery is child sexual
 * abuse material in law, no copy is ever shared, and the platform hosting it has a duty to report it.
 */
export interface MinorFlag {
  under18WhenMade: true;
  reportingDuty: { law: string; summary: string; reportTo: string };
}

export function MinorDuty({ minor }: { minor: MinorFlag | undefined }) {
  if (!minor) return null;
  return (
    <div className="notice notice-warning" role="note" data-testid="minor-duty">
      <p><span className="tag tag-senior">Under 18</span> <strong>Legal reporting duty: {minor.reportingDuty.law}</strong></p>
      <p>{minor.reportingDuty.summary}</p>
      <p>Report to NCMEC: <a href={minor.reportingDuty.reportTo} rel="noreferrer noopener" target="_blank">{minor.reportingDuty.reportTo}</a>. Do not download or share a copy. The platform is told of its duty with the removal.</p>
    </div>
  );
}
