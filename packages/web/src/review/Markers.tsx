/** The markers beside an item (core's reviewMarkers): shared copy, video, minor, regulator notice, appeal, repeats. */
import { useT } from './i18n.ts';
import type { QueueEntry } from './queue-view.ts';

export function Markers({ entry }: { entry: Pick<QueueEntry, 'markers' | 'repeatOf' | 'regulatorNotice'> }) {
  const t = useT();
  return (
    <>
      {entry.markers.map((marker) => (
        <span key={marker} className={`tag tag-marker tag-${marker.replace('_', '-')}`} data-marker={marker}>
          {marker === 'duplicate' || marker === 'resubmission'
            ? t.text(`marker.${marker}`, { caseNumber: entry.repeatOf?.caseNumber ?? '' })
            : marker === 'regulator_notice' && entry.regulatorNotice
              ? t.text('tag.regulatorNotice', { regulator: entry.regulatorNotice.regulator })
              : t.text(`marker.${marker}`)}
        </span>
      ))}
    </>
  );
}
