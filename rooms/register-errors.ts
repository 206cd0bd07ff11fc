/**
 * @module rooms/register-errors
 * Registers every actor area's error codes in the engine catalogue. rooms/ is the only place
 * engine/ and actors/ meet, so the registration lives here and runs once when rooms are defined.
 */
import { registerErrors } from '../engine/errors.ts';
import { chatErrorSpecs } from '../actors/chat/errors.ts';
import { buildingErrorSpecs } from '../actors/building/errors.ts';
import { groupErrorSpecs } from '../actors/group/errors.ts';
import { lotErrorSpecs } from '../actors/parking-lot/errors.ts';
import { mapErrorSpecs } from '../actors/community-map/errors.ts';
import { directoryErrorSpecs } from '../actors/community/directory-errors.ts';
import { identityErrorSpecs } from '../actors/identity/identity-errors.ts';
import { contactErrorSpecs } from '../actors/contact/contact-errors.ts';
import { deviceErrorSpecs } from '../actors/devices/errors.ts';
import { alarmErrorSpecs } from '../actors/alarm/errors.ts';

export function registerActorErrors(): void {
  for (const specs of [chatErrorSpecs, buildingErrorSpecs, groupErrorSpecs, lotErrorSpecs, mapErrorSpecs, directoryErrorSpecs, identityErrorSpecs, contactErrorSpecs, deviceErrorSpecs, alarmErrorSpecs]) registerErrors(specs);
}
