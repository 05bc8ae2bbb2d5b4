import { Route, Routes } from 'react-router';
import { PlatformKeyPage } from '../features/ai-key/platform-key-page';
import { AuditPage } from '../features/audit/audit-page';
import { PlatformOverviewPage } from '../features/overview/platform-overview-page';
import { PlansPage } from '../features/plans/plans-page';
import { PricesPage } from '../features/prices/prices-page';
import { ConsoleFallback } from '../features/shell/console-fallback';
import { TenantsPage } from '../features/tenants/tenants-page';

/** Renders the SuperAdmin's screens, loaded as a chunk of their own. */
export default function SuperAdminConsole() {
  return (
    <Routes>
      <Route path="/overview" element={<PlatformOverviewPage />} />
      <Route path="/tenants" element={<TenantsPage />} />
      <Route path="/plans" element={<PlansPage />} />
      <Route path="/prices" element={<PricesPage />} />
      <Route path="/ai-key" element={<PlatformKeyPage />} />
      <Route path="/audit" element={<AuditPage />} />
      <Route path="*" element={<ConsoleFallback />} />
    </Routes>
  );
}
