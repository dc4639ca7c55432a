import * as initial from './001-initial.ts';
import * as platform from './002-platform.ts';
import * as video from './003-video.ts';
import * as itemVideo from './004-item-video.ts';
import * as bankVideo from './005-bank-vpdq.ts';
import * as indexNotify from './006-index-notify.ts';
import * as signalsAsData from './007-signals-as-data.ts';
import * as platformHosts from './008-platform-hosts.ts';
import * as jobClaimIndex from './009-job-claim-index.ts';
import * as deliveryLanes from './010-delivery-lanes.ts';
import * as exchange from './011-exchange.ts';
import * as guessThrottles from './012-guess-throttles.ts';
import * as metricsIndexes from './013-metrics-indexes.ts';
import * as stopNciiSources from './014-stopncii-sources.ts';
import * as staffSignIn from './015-staff-sign-in.ts';
import * as sharedRateLimits from './016-shared-rate-limits.ts';
import * as requestDraftsAndMinors from './017-request-drafts-and-minors.ts';
import * as appealsAndNotifierStanding from './018-appeals-and-notifier-standing.ts';
import * as notifications from './019-notifications.ts';
import * as jurisdictionProfiles from './020-jurisdiction-profiles.ts';
import * as repeatRequests from './022-repeat-requests.ts';
import * as appealOverdue from './028-appeal-overdue.ts';
import * as followedHashKey from './029-followed-hash-key.ts';
import * as platformKeyNotify from './031-platform-key-notify.ts';
import * as feedbackClaim from './034-feedback-claim.ts';

/** Forward-only migrations, applied in this order. Add a file and one line here; never edit an applied one. */
export const migrations: { name: string; statements: string[] }[] = [
  initial,
  platform,
  video,
  itemVideo,
  bankVideo,
  indexNotify,
  signalsAsData,
  platformHosts,
  jobClaimIndex,
  deliveryLanes,
  exchange,
  guessThrottles,
  metricsIndexes,
  stopNciiSources,
  staffSignIn,
  sharedRateLimits,
  requestDraftsAndMinors,
  appealsAndNotifierStanding,
  notifications,
  jurisdictionProfiles,
  repeatRequests,
  appealOverdue,
  followedHashKey,
  platformKeyNotify,
  feedbackClaim,
];
