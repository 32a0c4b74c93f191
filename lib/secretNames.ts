/**
 * Names of environment variables that look like credentials: such values belong in an ECS
 * task's `secrets`, never in its plain `environment`. The config refuses them and the policy
 * pack reports them, with this one pattern.
 */
export const secretLookingName = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL/i;
