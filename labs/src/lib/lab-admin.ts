import type { LabId, LabMode } from '@tandem/contract/labs';
import { createAdminClient } from '@tandem/local-stack';

/** The product's admin client plus the lab layer's switch (LABS_ENABLED=true, ADMIN_TOKEN). */
export function createLabAdmin(origin: string, token: string) {
  const admin = createAdminClient(origin, token);
  return {
    ...admin,
    setMode: (lab: LabId, mode: LabMode) => admin.put(`/api/v1/admin/labs/${lab}`, { mode }),
  };
}
export type LabAdmin = ReturnType<typeof createLabAdmin>;
